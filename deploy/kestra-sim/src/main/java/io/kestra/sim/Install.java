package io.kestra.sim;

import io.kestra.sim.version.SimVersion;
import io.kestra.sim.version.UnknownVersionException;
import io.kestra.sim.version.VersionCatalog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/**
 * Writes a standalone Kestra install as the upgrade tooling expects one: an executable launcher
 * {@code <installDir>/kestra-<version>} per version, which runs the simulator for that version, and
 * the {@code plugins} and {@code confs} folders beside them.
 *
 * <p>The launcher does what Kestra's does before starting Java: it exports {@code
 * KESTRA_PLUGINS_PATH} (default {@code <installDir>/plugins}), and when {@code
 * KESTRA_CONFIGURATION} is set it writes that YAML to {@code
 * ${KESTRA_CONFIGURATION_PATH:-<installDir>/confs}/application.yml} and names the file in {@code
 * MICRONAUT_CONFIG_FILES}. Servers sharing an install share that file, as they would with Kestra:
 * give each its own {@code KESTRA_CONFIGURATION_PATH}. {@code JAVA_OPTS} stays unquoted on purpose:
 * Kestra's own launcher word-splits it, so {@code JAVA_OPTS="-Da=1 -Db=2"} passes two properties.
 */
public final class Install {

  private Install() {}

  /**
   * Writes one launcher per version (all or none: every version is checked first).
   *
   * @param classpath the simulator's classpath, e.g. {@code /x/kestra-sim.jar:/x/lib/*}
   * @throws UnknownVersionException when a version is not in the catalog
   * @throws UncheckedIOException when a launcher cannot be written
   */
  public static List<Path> write(Path installDir, Collection<String> versions, String classpath) {
    List<SimVersion> resolved = versions.stream().map(VersionCatalog::resolve).toList();
    if (classpath.isBlank() || classpath.contains("\n")) {
      throw new IllegalArgumentException("invalid classpath: '" + classpath + "'");
    }
    List<Path> written = new ArrayList<>();
    try {
      Files.createDirectories(installDir);
      Files.createDirectories(installDir.resolve("plugins"));
      Files.createDirectories(installDir.resolve("confs"));
      for (SimVersion v : resolved) {
        Path launcher = installDir.resolve(launcherName(v));
        Files.writeString(launcher, script(v, classpath));
        Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
        written.add(launcher);
      }
      return written;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write launchers in " + installDir, e);
    }
  }

  /** The launcher's file name: {@code kestra-0.21.4}. */
  public static String launcherName(SimVersion version) {
    return "kestra-" + version;
  }

  /**
   * The launcher's text, for a simulator on {@code classpath}; an image writes it as /app/kestra.
   */
  public static String script(SimVersion version, String classpath) {
    return "#!/usr/bin/env bash\n"
        + "# Kestra "
        + version
        + " (kestra-sim stand-in), written by io.kestra.sim.Install\n"
        + "KESTRA_PLUGINS_PATH=${KESTRA_PLUGINS_PATH:-\"$(dirname \"$0\")/plugins\"}\n"
        + "export KESTRA_PLUGINS_PATH\n"
        + "KESTRA_CONFIGURATION_PATH=${KESTRA_CONFIGURATION_PATH:-\"$(dirname \"$0\")/confs\"}\n"
        + "if [ \"${KESTRA_CONFIGURATION}\" ]; then\n"
        + "  echo \"${KESTRA_CONFIGURATION}\" > \"${KESTRA_CONFIGURATION_PATH}/application.yml\"\n"
        + "  export MICRONAUT_CONFIG_FILES=\"${KESTRA_CONFIGURATION_PATH}/application.yml\"\n"
        + "fi\n"
        + "exec java -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss512k -Xmx160m $JAVA_OPTS"
        + " -cp "
        + singleQuoted(classpath)
        + " io.kestra.sim.KestraSim --sim-version "
        + version
        + " \"$@\"\n";
  }

  /** Quotes for bash so that {@code *} reaches java unexpanded (java expands {@code lib/*}). */
  static String singleQuoted(String s) {
    return "'" + s.replace("'", "'\\''") + "'";
  }

  /**
   * {@code Install <installDir> <classpath> <version>...}: writes the launchers, prints their
   * paths; exits 1 on an unknown version.
   */
  public static void main(String[] args) {
    if (args.length < 3) {
      System.err.println("usage: Install <installDir> <classpath> <version>...");
      System.exit(2);
    }
    try {
      List<String> versions = Arrays.asList(args).subList(2, args.length);
      write(Path.of(args[0]), versions, args[1]).forEach(System.out::println);
    } catch (UnknownVersionException | IllegalArgumentException | UncheckedIOException e) {
      System.err.println(e.getMessage());
      System.exit(1);
    }
  }
}
