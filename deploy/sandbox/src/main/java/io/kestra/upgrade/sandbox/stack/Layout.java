package io.kestra.upgrade.sandbox.stack;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the sandbox keeps things, all under {@code deploy/sandbox/.run/} of the checkout (or {@code
 * SANDBOX_HOME}): one folder of logs, one of pid files, the data of PostgreSQL and Kafka, the
 * stand-in Kestra install and the agents' state.
 *
 * @param repo the checkout's root
 * @param home the sandbox's working folder
 */
public record Layout(Path repo, Path home) {

  /**
   * The layout of the checkout that holds the running code, or the folders given in the
   * environment.
   */
  public static Layout detect() {
    Path repo =
        System.getenv("SANDBOX_REPO") != null
            ? Path.of(System.getenv("SANDBOX_REPO"))
            : findRepo(Path.of("").toAbsolutePath());
    Path home =
        System.getenv("SANDBOX_HOME") != null
            ? Path.of(System.getenv("SANDBOX_HOME"))
            : repo.resolve("deploy/sandbox/.run");
    return new Layout(repo.toAbsolutePath().normalize(), home.toAbsolutePath().normalize());
  }

  private static Path findRepo(Path from) {
    for (Path p = from; p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("upgrade-coordinator/pom.xml"))) {
        return p;
      }
    }
    throw new IllegalStateException(
        "run the sandbox from inside the checkout, or set SANDBOX_REPO");
  }

  public Path logs() {
    return home.resolve("logs");
  }

  /**
   * The stand-in's fault switches, read by every server when a fault matters ({@code sandbox demo
   * --fail-at}); no file, no fault.
   */
  public Path faults() {
    return home.resolve("faults.properties");
  }

  /** The stand-in's ledger of the executions created, beside Kestra's database. */
  public Path ledger() {
    return home.resolve("kestra-ledger.txt");
  }

  public Path pids() {
    return home.resolve("pids");
  }

  public Path data(String part) {
    return home.resolve("data").resolve(part);
  }

  /** The Compose project of {@code --platform compose}: its file and {@code .env}. */
  public Path compose() {
    return home.resolve("compose");
  }

  public Path kestraInstall() {
    return home.resolve("kestra");
  }

  public Path agentState(String instance) {
    return home.resolve("agents").resolve(instance);
  }

  public Path coordinatorJar() {
    return repo.resolve("upgrade-coordinator/target/quarkus-app/quarkus-run.jar");
  }

  public Path agentJar() {
    return repo.resolve("component-agent/target/quarkus-app/quarkus-run.jar");
  }

  public Path kafkaLibs() {
    return repo.resolve("deploy/kafka-broker/target/libs");
  }

  public Path sandboxLibs() {
    return repo.resolve("deploy/sandbox/target/lib");
  }

  public Path sandboxJar() {
    return repo.resolve("deploy/sandbox/target/sandbox.jar");
  }

  public Path simJar() {
    return repo.resolve("deploy/kestra-sim/target/kestra-sim.jar");
  }

  /**
   * The stand-in's release catalog (its patch releases keep the schema), which the sandbox's
   * coordinator reads on top of its shipped one.
   */
  public Path standInReleases() {
    return repo.resolve("deploy/kestra-sim/release-catalog.json");
  }

  public Path simLibs() {
    return repo.resolve("deploy/kestra-sim/target/lib");
  }
}
