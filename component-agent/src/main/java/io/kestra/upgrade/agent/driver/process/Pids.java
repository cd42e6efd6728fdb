package io.kestra.upgrade.agent.driver.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Liveness by pid, zombies counted dead. A process killed with SIGKILL stays a zombie until its
 * parent reaps it (pid 1 takes about a second; in a container without an init, forever), and {@link
 * ProcessHandle#isAlive()} calls a zombie alive: an agent that trusted it would adopt a dead
 * server, wait out a STOP's whole grace period on it, or wait for a tool that has ended. Every
 * liveness check by pid in the agent goes through here.
 */
public final class Pids {

  private Pids() {}

  /** Alive and not a zombie (on Linux: the state in {@code /proc/<pid>/stat} is not Z or X). */
  public static boolean isAlive(ProcessHandle process) {
    return process.isAlive() && !isZombie(process.pid());
  }

  /** The process of {@code pid} if it exists and is not a zombie. */
  static Optional<ProcessHandle> live(long pid) {
    return ProcessHandle.of(pid).filter(Pids::isAlive);
  }

  /** Whether {@code pid} is a zombie (or dead but not yet gone). False where /proc cannot tell. */
  static boolean isZombie(long pid) {
    return stat(pid).map(Stat::zombie).orElse(false);
  }

  /**
   * The state letter and parent pid of {@code pid}, from {@code /proc/<pid>/stat}; empty when the
   * process is gone or there is no {@code /proc}.
   */
  static Optional<Stat> stat(long pid) {
    try {
      return Stat.parse(
          Files.readString(
              Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.US_ASCII));
    } catch (IOException e) {
      // gone meanwhile, or no /proc: the caller's other sources stand
      return Optional.empty();
    }
  }

  /**
   * The fields of {@code /proc/<pid>/stat} the agent reads.
   *
   * @param state the state letter ({@code R}, {@code S}, {@code Z}, ...)
   * @param parent the parent's pid
   * @param startTicks the start time in clock ticks since boot: with the pid, it names one process
   */
  record Stat(char state, long parent, long startTicks) {

    /** A zombie, or dead and about to vanish. */
    boolean zombie() {
      return state == 'Z' || state == 'X';
    }

    static Optional<Stat> parse(String stat) {
      // "pid (comm) S ppid ...": comm may hold spaces and parentheses, the state follows the last
      // ')'
      int end = stat.lastIndexOf(')');
      if (end < 0 || end + 2 >= stat.length()) {
        return Optional.empty();
      }
      String[] fields = stat.substring(end + 2).trim().split(" ");
      // fields[0] is field 3 of proc(5) (state), fields[1] field 4 (ppid), fields[19] field 22
      if (fields.length < 20 || fields[0].length() != 1) {
        return Optional.empty();
      }
      try {
        return Optional.of(
            new Stat(fields[0].charAt(0), Long.parseLong(fields[1]), Long.parseLong(fields[19])));
      } catch (NumberFormatException e) {
        return Optional.empty();
      }
    }
  }
}
