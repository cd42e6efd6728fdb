package io.kestra.sim.it;

import java.nio.file.Files;
import java.nio.file.Path;

/** The classpath the launchers get in the tests. */
final class SimClasspath {

  private SimClasspath() {}

  /**
   * The packaged simulator ({@code target/kestra-sim.jar:target/lib/*}, what a sandbox uses) when
   * the package phase has run, as it has under failsafe; else the test JVM's own classpath.
   */
  static String get() {
    Path jar = Path.of("target", "kestra-sim.jar").toAbsolutePath();
    Path lib = Path.of("target", "lib").toAbsolutePath();
    if (Files.isRegularFile(jar) && Files.isDirectory(lib)) {
      return jar + ":" + lib + "/*";
    }
    String surefire = System.getProperty("surefire.test.class.path");
    return surefire != null ? surefire : System.getProperty("java.class.path");
  }
}
