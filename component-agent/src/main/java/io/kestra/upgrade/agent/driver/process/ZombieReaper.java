package io.kestra.upgrade.agent.driver.process;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.ptr.IntByReference;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reaps zombie children the agent did not start, for an agent that is a container's pid 1 (no init
 * to do it): a server's or a tool's own children, orphaned when their parent died, are re-parented
 * to pid 1 and, once they end, stay zombies (and hold a pid) until pid 1 waits for them.
 *
 * <p>The JDK waits for every process started through {@link ProcessBuilder} itself, and must be the
 * one to do it (a child reaped by someone else reports exit code 0 to its {@link Process}). There
 * is no JDK API that names those children, so two rules keep the reaper off them: the agent starts
 * its processes through {@link #start(ProcessBuilder)}, which spares them until the JDK has reaped
 * them; and any other child is reaped only when it was a zombie, with the same start time, at the
 * previous scan already (the JDK's waiting thread is in {@code waitpid} within moments of a launch,
 * so one of its children is never a zombie for a whole interval). The reaping itself needs the few
 * lines of JNA: {@code waitpid(pid, WNOHANG)} on that one pid, never {@code waitpid(-1)}.
 */
public final class ZombieReaper implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ZombieReaper.class);
  private static final int WNOHANG = 1;
  private static final int PR_SET_CHILD_SUBREAPER = 36;

  /** The two calls of the C library the reaper needs. */
  interface CLibrary extends Library {
    int waitpid(int pid, IntByReference status, int options);

    int prctl(int option, long arg2, long arg3, long arg4, long arg5);
  }

  private static volatile CLibrary libc;

  /** The children the agent started and the JDK waits for: never reaped here. */
  private static final Set<Long> SPARED = ConcurrentHashMap.newKeySet();

  /** Zombie children seen at the last scan: pid to start time. */
  private final Map<Long, Long> seen = new HashMap<>();

  private ScheduledExecutorService scheduler;

  /** Whether this JVM is pid 1 of its pid namespace: then nobody else reaps its orphans. */
  public static boolean needed() {
    return ProcessHandle.current().pid() == 1;
  }

  /**
   * Makes this process a child subreaper ({@code prctl(PR_SET_CHILD_SUBREAPER)}): orphaned
   * descendants are re-parented to it instead of pid 1, as they would be to an agent that is pid 1.
   * For tests; it cannot be undone for the life of the process.
   *
   * @throws IllegalStateException when the kernel refuses
   */
  static void becomeSubreaper() {
    if (libc().prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0) {
      throw new IllegalStateException(
          "prctl(PR_SET_CHILD_SUBREAPER) failed: errno " + Native.getLastError());
    }
  }

  /**
   * Starts {@code builder}'s process, spared by every reaper until the JDK has reaped it. Every
   * process the agent starts goes through here.
   */
  static Process start(ProcessBuilder builder) throws IOException {
    Process process = builder.start();
    long pid = process.pid();
    SPARED.add(pid);
    process.onExit().thenRun(() -> SPARED.remove(pid));
    return process;
  }

  /** Scans for zombie children every {@code interval} on a daemon thread, until closed. */
  public synchronized ZombieReaper start(Duration interval) {
    if (scheduler == null) {
      scheduler =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread thread = new Thread(r, "zombie-reaper");
                thread.setDaemon(true);
                return thread;
              });
      long millis = interval.toMillis();
      scheduler.scheduleWithFixedDelay(this::scan, millis, millis, TimeUnit.MILLISECONDS);
    }
    return this;
  }

  private void scan() {
    try {
      reapNow();
    } catch (RuntimeException | LinkageError e) {
      // a failed scan must not end the schedule: the next one may succeed
      LOG.warn("reaping zombie children failed", e);
    }
  }

  /**
   * One scan: reaps the zombie children that were zombies at the previous scan already.
   *
   * @return how many were reaped
   */
  synchronized int reapNow() {
    Map<Long, Long> zombies = new HashMap<>();
    ProcessHandle.current()
        .children()
        .forEach(
            child ->
                Pids.stat(child.pid())
                    .filter(Pids.Stat::zombie)
                    .ifPresent(stat -> zombies.put(child.pid(), stat.startTicks())));
    int reaped = 0;
    for (Map.Entry<Long, Long> zombie : zombies.entrySet()) {
      Long before = seen.get(zombie.getKey());
      if (!SPARED.contains(zombie.getKey()) && before != null && before.equals(zombie.getValue())) {
        IntByReference status = new IntByReference();
        int pid = Math.toIntExact(zombie.getKey());
        if (libc().waitpid(pid, status, WNOHANG) == pid) {
          LOG.debug("reaped orphaned child {} (wait status {})", pid, status.getValue());
          reaped++;
        }
      }
    }
    seen.clear();
    seen.putAll(zombies);
    return reaped;
  }

  private static CLibrary libc() {
    CLibrary loaded = libc;
    if (loaded == null) {
      loaded = Native.load("c", CLibrary.class);
      libc = loaded;
    }
    return loaded;
  }

  @Override
  public synchronized void close() {
    if (scheduler != null) {
      scheduler.shutdownNow();
      scheduler = null;
    }
  }
}
