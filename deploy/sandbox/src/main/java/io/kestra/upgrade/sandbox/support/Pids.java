package io.kestra.upgrade.sandbox.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether a process is alive, zombies counted dead. A process killed with SIGKILL stays a zombie
 * until its parent reaps it, and {@link ProcessHandle#isAlive()} calls a zombie alive: a sandbox
 * that trusted it would see a killed coordinator as running and start nothing.
 */
public final class Pids {

  private Pids() {}

  /** Alive and not a zombie (on Linux: the state in {@code /proc/<pid>/stat} is not Z or X). */
  public static boolean isAlive(ProcessHandle process) {
    return process.isAlive() && !isZombie(process.pid());
  }

  /** Whether {@code pid} is a zombie (or dead but not yet gone). False where /proc cannot tell. */
  static boolean isZombie(long pid) {
    try {
      String stat =
          Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.US_ASCII);
      // "pid (comm) S ...": comm may hold spaces and parentheses, the state follows the last ')'
      int end = stat.lastIndexOf(')');
      if (end < 0 || end + 2 >= stat.length()) {
        return false;
      }
      char state = stat.charAt(end + 2);
      return state == 'Z' || state == 'X';
    } catch (IOException e) {
      // gone meanwhile, or no /proc: ProcessHandle's answer stands
      return false;
    }
  }
}
