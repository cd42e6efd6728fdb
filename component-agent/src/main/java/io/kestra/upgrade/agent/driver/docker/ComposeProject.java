package io.kestra.upgrade.agent.driver.docker;

import com.github.dockerjava.api.command.InspectContainerResponse;
import io.kestra.upgrade.common.KestraVersion;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The Compose project a container belongs to, from the labels Compose gives it: its files, its
 * directory (where {@code .env} is), its name and the container's service. Two things are done with
 * it, so that the operator's next {@code docker-compose up -d} neither goes back to the old version
 * nor recreates the containers the upgrade already recreated:
 *
 * <ul>
 *   <li>{@link #record}: the files (or their {@code .env}) name the new version ({@link
 *       ComposeImages}, comments and formatting kept);
 *   <li>{@link #configHash}: the {@code com.docker.compose.config-hash} that Compose will compute
 *       for the service once the files name a version, asked of Compose itself ({@code
 *       docker-compose config --hash}) on copies of the files so changed; the driver labels the
 *       container it recreates with it, as Compose compares that label to decide what to recreate.
 * </ul>
 */
final class ComposeProject {

  static final String PROJECT = "com.docker.compose.project";
  static final String SERVICE = "com.docker.compose.service";
  static final String CONFIG_HASH = "com.docker.compose.config-hash";
  static final String CONFIG_FILES = "com.docker.compose.project.config_files";
  static final String WORKING_DIR = "com.docker.compose.project.working_dir";

  private final String project;
  private final String service;
  private final List<Path> files;
  private final Path directory;

  private ComposeProject(String project, String service, List<Path> files, Path directory) {
    this.project = project;
    this.service = service;
    this.files = files;
    this.directory = directory;
  }

  /**
   * The project of container {@code c}: empty when Compose did not create it.
   *
   * @param configured the Compose file as the agent sees it, when not at the path Compose recorded
   *     (an agent in a container with the project mounted elsewhere)
   */
  static Optional<ComposeProject> of(InspectContainerResponse c, Optional<Path> configured) {
    Map<String, String> labels =
        c.getConfig().getLabels() == null ? Map.of() : c.getConfig().getLabels();
    String project = labels.get(PROJECT);
    String service = labels.get(SERVICE);
    if (project == null || service == null) {
      return Optional.empty();
    }
    Path dir = Optional.ofNullable(labels.get(WORKING_DIR)).map(Path::of).orElse(null);
    List<Path> files = new ArrayList<>();
    if (configured.isPresent()) {
      files.add(configured.get().toAbsolutePath());
      dir = configured.get().toAbsolutePath().getParent();
    } else if (labels.get(CONFIG_FILES) != null) {
      for (String f : labels.get(CONFIG_FILES).split(",")) {
        Path p = Path.of(f.strip());
        files.add(p.isAbsolute() || dir == null ? p : dir.resolve(p));
      }
    }
    if (dir == null && !files.isEmpty()) {
      dir = files.get(0).toAbsolutePath().getParent();
    }
    return Optional.of(new ComposeProject(project, service, List.copyOf(files), dir));
  }

  String service() {
    return service;
  }

  /** For messages: the project and its files. */
  String describe() {
    return "Compose project " + project + " (" + files + ")";
  }

  /**
   * Why the files cannot be read by this agent, or empty when they can (writing is needed only
   * where a tag is changed, and fails then with its own reason: a tag in {@code .env} leaves the
   * file itself alone).
   */
  Optional<String> unreachable() {
    if (files.isEmpty()) {
      return Optional.of(
          "Compose recorded no file for project "
              + project
              + ": set agent.driver.docker.compose-file");
    }
    for (Path f : files) {
      if (!Files.isRegularFile(f) || !Files.isReadable(f)) {
        return Optional.of(
            f
                + " (of Compose project "
                + project
                + ") is not a file this agent can read: mount the project's folder into the"
                + " agent at the same path, or set agent.driver.docker.compose-file");
      }
    }
    return Optional.empty();
  }

  /**
   * Writes {@code version} into the project's files, or their {@code .env}.
   *
   * @return what changed, for the operator
   */
  String record(String repository, TagPattern tags, KestraVersion version) throws IOException {
    Edit edit = edit(repository, tags, version);
    for (Map.Entry<Path, String> f : edit.texts.entrySet()) {
      write(f.getKey(), f.getValue());
    }
    if (!edit.variables.isEmpty()) {
      Path env = directory.resolve(".env");
      String text = Files.exists(env) ? Files.readString(env, StandardCharsets.UTF_8) : "";
      write(env, DotEnv.set(text, edit.variables));
    }
    StringBuilder said = new StringBuilder();
    if (edit.changed.isEmpty() && edit.variables.isEmpty()) {
      said.append(describe()).append(" names ").append(version).append(" already");
    } else {
      said.append(describe()).append(" now names ").append(version).append(": ");
      said.append(String.join("; ", edit.changed));
      if (!edit.variables.isEmpty()) {
        said.append(edit.changed.isEmpty() ? "" : "; ")
            .append(directory.resolve(".env"))
            .append(" sets ")
            .append(edit.variables)
            .append(" (a variable exported in the shell that runs Compose still wins)");
      }
    }
    if (!edit.unresolved.isEmpty()) {
      said.append("; left as they are: ").append(String.join("; ", edit.unresolved));
    }
    return said.toString();
  }

  /**
   * The config hash Compose gives the service once the files name {@code version}: {@code <compose>
   * config --hash=<service>} on copies of the files so edited, beside them.
   *
   * @param compose the Compose command ({@code docker-compose}, or {@code docker compose})
   */
  String configHash(
      String repository,
      TagPattern tags,
      KestraVersion version,
      List<String> compose,
      Duration timeout)
      throws IOException, InterruptedException {
    Edit edit = edit(repository, tags, version);
    List<Path> copies = new ArrayList<>();
    try {
      List<String> cmd = new ArrayList<>(compose);
      cmd.addAll(List.of("--project-directory", directory.toString(), "-p", project));
      for (Path f : files) {
        // one copy per call: the agents of a project's servers ask at the same time
        Path copy =
            f.resolveSibling(
                ".kestra-upgrade-hash-"
                    + service
                    + "-"
                    + System.nanoTime()
                    + "-"
                    + f.getFileName());
        Files.writeString(copy, edit.texts.getOrDefault(f, Files.readString(f)));
        copies.add(copy);
        cmd.add("-f");
        cmd.add(copy.toString());
      }
      cmd.addAll(List.of("config", "--hash=" + service));
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
      // the variables as .env will set them: the environment wins over .env in Compose
      pb.environment().putAll(edit.variables);
      Process p = pb.start();
      String out;
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        throw new IOException(String.join(" ", compose) + " config --hash ran over " + timeout);
      }
      out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      if (p.exitValue() != 0) {
        throw new IOException(
            String.join(" ", compose) + " config --hash exited " + p.exitValue() + ": " + out);
      }
      return Arrays.stream(out.split("\n"))
          .map(String::strip)
          .filter(l -> l.startsWith(service + " "))
          .map(l -> l.substring(service.length() + 1).strip())
          .findFirst()
          .orElseThrow(() -> new IOException("no hash of " + service + " in: " + out));
    } finally {
      for (Path c : copies) {
        Files.deleteIfExists(c);
      }
    }
  }

  /** The project's files as they would name {@code version}. */
  private Edit edit(String repository, TagPattern tags, KestraVersion version) throws IOException {
    Path envFile = directory.resolve(".env");
    Map<String, String> env =
        Files.exists(envFile)
            ? DotEnv.read(Files.readString(envFile, StandardCharsets.UTF_8))
            : Map.of();
    Edit edit = new Edit();
    for (Path f : files) {
      String text = Files.readString(f, StandardCharsets.UTF_8);
      ComposeImages.Result r = ComposeImages.retag(text, env, repository, tags, version);
      if (!r.text().equals(text)) {
        edit.texts.put(f, r.text());
      }
      r.changed().forEach(c -> edit.changed.add(f.getFileName() + " " + c));
      r.unresolved().forEach(u -> edit.unresolved.add(f.getFileName() + " " + u));
      edit.variables.putAll(r.variables());
    }
    return edit;
  }

  /** New texts by file, variables for {@code .env}, and what was changed or left. */
  private static final class Edit {
    final Map<Path, String> texts = new LinkedHashMap<>();
    final Map<String, String> variables = new LinkedHashMap<>();
    final List<String> changed = new ArrayList<>();
    final List<String> unresolved = new ArrayList<>();
  }

  /**
   * Replaces a file by a sibling moved over it; where that cannot be done (a file bind-mounted on
   * its own into the agent's container), writes it in place.
   */
  private static void write(Path file, String text) throws IOException {
    Path tmp = file.resolveSibling("." + file.getFileName() + ".kestra-upgrade.tmp");
    try {
      Files.writeString(tmp, text, StandardCharsets.UTF_8);
      if (Files.exists(file)) {
        Files.setPosixFilePermissions(tmp, Files.getPosixFilePermissions(file));
      }
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException | UnsupportedOperationException e) {
      Files.deleteIfExists(tmp);
      Files.writeString(file, text, StandardCharsets.UTF_8);
    }
  }
}
