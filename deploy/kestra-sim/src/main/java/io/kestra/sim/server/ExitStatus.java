package io.kestra.sim.server;

/**
 * The status the process ends with. SIGTERM ends it with 0 once the graceful shutdown is over (the
 * shutdown hook halts with this status); a server that terminates itself (evicted by the liveness
 * coordinator) asks for 1.
 */
final class ExitStatus {

  private volatile int status;

  /** The status to exit with. */
  int get() {
    return status;
  }

  /** Starts the JVM's shutdown (hooks included) with {@code code}, from a thread of its own. */
  void exit(int code) {
    status = code;
    // System.exit blocks its caller until the hooks finish: never block a server thread on it
    Thread t = new Thread(() -> System.exit(code), "exit");
    t.start();
  }
}
