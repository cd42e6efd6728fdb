package io.kestra.sim.server;

import java.util.concurrent.CountDownLatch;

/**
 * How a running server's main thread ends. It waits here, as Kestra's command waits for its
 * application context to stop; only a server that terminates itself (evicted by the liveness
 * coordinator) releases it, so that the command returns 0 and {@code main} exits 0, running the
 * shutdown hook. An outside SIGTERM never releases it: the hook runs and the JVM ends with 143.
 */
final class Termination {

  private final CountDownLatch selfTerminated = new CountDownLatch(1);

  /** The server terminates itself: the main thread goes on to exit 0. */
  void selfTerminate() {
    selfTerminated.countDown();
  }

  /** Blocks the main thread until the server terminates itself. */
  void await() throws InterruptedException {
    selfTerminated.await();
  }
}
