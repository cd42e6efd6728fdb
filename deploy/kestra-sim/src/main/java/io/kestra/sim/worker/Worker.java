package io.kestra.sim.worker;

import io.kestra.sim.db.ConnectionPool;
import io.kestra.sim.role.PollingLoop;
import io.kestra.sim.role.Role;
import io.kestra.sim.service.LocalService;
import io.kestra.sim.service.ServiceState;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A worker with {@code N} threads. A claim loop takes as many CREATED task runs as there are free
 * threads ({@code FOR UPDATE SKIP LOCKED}) and hands each to a thread.
 *
 * <p>Stopping is Kestra's graceful shutdown, logged with the lines of the version's worker ({@link
 * ShutdownLines}):
 *
 * <ol>
 *   <li>stop claiming (and wait for a claim in flight, so that nothing claimed is left unrun);
 *   <li>let running task runs finish, logging the waiting line (remaining: N) every second, for up
 *       to the termination grace period;
 *   <li>all finished: TERMINATED_GRACEFULLY;
 *   <li>else log the forcing line, interrupt the threads, leave their task runs RUNNING with their
 *       {@code worker_job_running} rows, add them to the forced counter: TERMINATED_FORCED.
 * </ol>
 *
 * <p>A worker group ({@code --worker-group}) is an Enterprise feature: as in Kestra's open source
 * worker it only shows in the start line.
 */
public final class Worker implements Role {

  private static final Logger LOG = Logger.getLogger(Worker.class.getName());
  private static final Duration POLL = Duration.ofMillis(100);
  private static final long FORCED_JOIN_MS = 5_000;

  private final LocalService service;
  private final int threads;
  private final Duration gracePeriod;
  private final ShutdownLines lines;
  private final Optional<String> group;
  private final TaskRunRepository repository;
  private final Semaphore freeThreads;
  private final AtomicInteger running = new AtomicInteger();
  private final ExecutorService pool;
  private final PollingLoop claimLoop;

  /**
   * A worker for the service with {@code threads} threads and the given grace period.
   *
   * @param lines what it logs while it drains
   * @param group its worker group, if one was given
   */
  public Worker(
      LocalService service,
      ConnectionPool db,
      int threads,
      Duration gracePeriod,
      ShutdownLines lines,
      Optional<String> group) {
    this.service = service;
    this.threads = threads;
    this.gracePeriod = gracePeriod;
    this.lines = lines;
    this.group = group;
    this.repository = new TaskRunRepository(db, service.id());
    this.freeThreads = new Semaphore(threads);
    AtomicInteger n = new AtomicInteger();
    this.pool =
        Executors.newFixedThreadPool(
            threads, r -> new Thread(r, "worker-thread-" + n.incrementAndGet()));
    this.claimLoop = new PollingLoop("worker", () -> POLL, this::claim);
  }

  @Override
  public LocalService service() {
    return service;
  }

  @Override
  public void start() {
    claimLoop.start();
    LOG.info(
        () ->
            "Worker started with "
                + threads
                + " thread(s)"
                + group.map(g -> " in group '" + g + "'").orElse(""));
  }

  /** Task runs running now: the {@code kestra_worker_running_count} gauge. */
  public int runningCount() {
    return running.get();
  }

  /** The number of threads. */
  public int threads() {
    return threads;
  }

  @Override
  public ServiceState stop() {
    claimLoop.stop();
    pool.shutdown();
    if (drain()) {
      LOG.info(lines.allTerminated());
      return ServiceState.TERMINATED_GRACEFULLY;
    }
    LOG.warning(lines.forcing());
    pool.shutdownNow();
    awaitThreads(FORCED_JOIN_MS);
    try {
      long forced = repository.countForced();
      LOG.warning(() -> forced + " task run(s) abandoned, left RUNNING for re-emission");
    } catch (SQLException e) {
      LOG.log(Level.SEVERE, "Cannot count the abandoned task runs", e);
    }
    return ServiceState.TERMINATED_FORCED;
  }

  /** Waits up to the grace period for running task runs; true when all finished. */
  private boolean drain() {
    long deadline = System.nanoTime() + gracePeriod.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      if (pool.isTerminated()) {
        return true;
      }
      if (left <= 0 || Thread.currentThread().isInterrupted()) {
        // an interrupted stopper cannot wait any longer: force
        return false;
      }
      LOG.warning(String.format(Locale.ROOT, lines.waiting(), running.get()));
      if (awaitThreads(Math.min(1_000, TimeUnit.NANOSECONDS.toMillis(left) + 1))) {
        return true;
      }
    }
  }

  private boolean awaitThreads(long millis) {
    try {
      return pool.awaitTermination(millis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return pool.isTerminated();
    }
  }

  private void claim() throws SQLException {
    int free = freeThreads.drainPermits();
    if (free == 0) {
      return;
    }
    List<ClaimedTaskRun> claimed;
    try {
      claimed = repository.claim(free);
    } catch (SQLException | RuntimeException e) {
      freeThreads.release(free);
      throw e;
    }
    freeThreads.release(free - claimed.size());
    for (ClaimedTaskRun run : claimed) {
      running.incrementAndGet();
      LOG.fine(() -> "Claimed task run " + run.id() + " (attempt " + run.attempt() + ")");
      pool.execute(new TaskRunExecution(run, repository, this::onRunEnd));
    }
  }

  private void onRunEnd() {
    running.decrementAndGet();
    freeThreads.release();
  }
}
