package io.kestra.upgrade.agent.driver.docker;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;

/**
 * What the driver must remember across agent restarts, on disk ({@code docker-driver.properties} in
 * the agent's state folder), written atomically before the engine is asked to act: the container it
 * manages, the one it kept (renamed, stopped) for a rollback, the containers it created (the only
 * ones besides the kept one that it may ever remove), and whether a command stopped the server.
 */
final class DockerState {

  private static final String MANAGED = "managed";
  private static final String MANAGED_IMAGE = "managed.image";
  private static final String KEPT = "kept";
  private static final String KEPT_VERSION = "kept.version";
  private static final String CREATED = "created";
  private static final String STOP_REQUESTED = "stop-requested";

  private final Path file;
  private final Properties values = new Properties();

  DockerState(Path stateDir) {
    this.file = stateDir.resolve("docker-driver.properties");
    if (Files.exists(file)) {
      try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        values.load(in);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + file, e);
      }
    }
  }

  synchronized Optional<String> managed() {
    return Optional.ofNullable(values.getProperty(MANAGED));
  }

  /** The image the managed container was left on by this driver. */
  synchronized Optional<String> managedImage() {
    return Optional.ofNullable(values.getProperty(MANAGED_IMAGE));
  }

  synchronized void managed(String containerId, String image) {
    values.setProperty(MANAGED, containerId);
    values.setProperty(MANAGED_IMAGE, image);
    save();
  }

  /** A container kept, stopped, for a rollback, and the version it ran. */
  record Kept(String containerId, String version) {}

  synchronized Optional<Kept> kept() {
    String id = values.getProperty(KEPT);
    return id == null
        ? Optional.empty()
        : Optional.of(new Kept(id, values.getProperty(KEPT_VERSION, "")));
  }

  synchronized void kept(String containerId, String version) {
    values.setProperty(KEPT, containerId);
    values.setProperty(KEPT_VERSION, version);
    save();
  }

  synchronized void forgetKept() {
    values.remove(KEPT);
    values.remove(KEPT_VERSION);
    save();
  }

  synchronized Set<String> created() {
    String list = values.getProperty(CREATED, "");
    Set<String> ids = new LinkedHashSet<>();
    Arrays.stream(list.split(",")).filter(s -> !s.isBlank()).forEach(ids::add);
    return ids;
  }

  synchronized void created(String containerId) {
    Set<String> ids = created();
    ids.add(containerId);
    values.setProperty(CREATED, String.join(",", ids));
    save();
  }

  synchronized void removed(String containerId) {
    Set<String> ids = created();
    ids.remove(containerId);
    values.setProperty(CREATED, String.join(",", ids));
    save();
  }

  synchronized boolean stopRequested() {
    return Boolean.parseBoolean(values.getProperty(STOP_REQUESTED, "false"));
  }

  synchronized void stopRequested(boolean requested) {
    values.setProperty(STOP_REQUESTED, Boolean.toString(requested));
    save();
  }

  private void save() {
    try {
      Files.createDirectories(file.getParent());
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      try (Writer out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
        values.store(out, "the docker driver's containers; written by the agent");
      }
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }
}
