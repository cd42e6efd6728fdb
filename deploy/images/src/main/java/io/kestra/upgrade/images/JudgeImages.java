package io.kestra.upgrade.images;

import com.github.dockerjava.api.DockerClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The judge's images, {@code local/kestra-judge:<version>}: Kestra's own {@code io.kestra:core} and
 * {@code io.kestra:jdbc} of one version (copied by {@code deploy/kestra-classes/<version>}) and the
 * judge program ({@code deploy/kestra-judge}), {@code FROM} the Java 21 base image that {@code
 * deploy/docker/engine up} debootstraps (Kestra's classes are Java 21 bytecode). Rebuilt only when
 * the judge, its Dockerfile or the list of Kestra's jars changed.
 */
public final class JudgeImages {

  /** The Kestra versions the stand-in imitates and the judge has the classes of. */
  public static final List<String> VERSIONS = List.of("0.21.4", "0.22.0", "1.0.0");

  /** The Debian trixie image with a JRE 21 the judge's images are built from. */
  public static final String BASE_IMAGE =
      Optional.ofNullable(System.getenv("KESTRA_UPGRADE_JUDGE_BASE_IMAGE"))
          .orElse("local/kestra-upgrade-judge-base:trixie-jre21");

  private static final String REPOSITORY = "local/kestra-judge";
  private static final String DIGEST_LABEL = "io.kestra.upgrade.judge.digest";

  private final DockerClient docker;
  private final Path repo;

  /**
   * @param repo the repository's root, where {@code deploy/kestra-judge} and {@code
   *     deploy/kestra-classes} were packaged ({@code mvn package})
   */
  public JudgeImages(DockerClient docker, Path repo) {
    this.docker = docker;
    this.repo = repo;
  }

  /** The image of the judge with Kestra {@code version}'s classes. */
  public static String image(String version) {
    return REPOSITORY + ":" + version;
  }

  /**
   * Makes sure the judge's image of each version is on the engine.
   *
   * @return the image names, in the order of {@code versions}
   * @throws IllegalStateException when the base image or a packaged part is missing, or a build
   *     fails
   */
  public List<String> ensure(List<String> versions) {
    ImageBuilds.requireBase(docker, BASE_IMAGE);
    requirePackaged(judgeJar());
    List<String> images = new ArrayList<>();
    for (String version : versions) {
      Path lib = repo.resolve("deploy/kestra-classes").resolve(version).resolve("target/lib");
      requirePackaged(lib);
      String digest = digest(lib);
      String image = image(version);
      if (!ImageBuilds.current(docker, image, DIGEST_LABEL, digest)) {
        ImageBuilds.build(
            docker,
            context(lib),
            image,
            Map.of("BASE", BASE_IMAGE, "VERSION", version, "DIGEST", digest),
            false);
      }
      images.add(image);
    }
    return images;
  }

  private Path judgeJar() {
    return repo.resolve("deploy/kestra-judge/target/kestra-judge.jar");
  }

  private Path dockerfile() {
    return repo.resolve("deploy/kestra-judge/src/main/docker/Dockerfile");
  }

  private static void requirePackaged(Path p) {
    if (!Files.exists(p)) {
      throw new IllegalStateException(p + " is missing: package it first (mvn package)");
    }
  }

  private Path context(Path lib) {
    try {
      Path dir = Files.createTempDirectory("kestra-judge-image");
      Files.copy(dockerfile(), dir.resolve("Dockerfile"));
      Files.copy(judgeJar(), dir.resolve("kestra-judge.jar"));
      Path to = Files.createDirectories(dir.resolve("lib"));
      for (Path jar : jars(lib)) {
        Files.copy(jar, to.resolve(jar.getFileName()));
      }
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the judge's build context", e);
    }
  }

  // Kestra's jars are releases: their names say what they hold
  private String digest(Path lib) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(Files.readAllBytes(dockerfile()));
      sha.update(Files.readAllBytes(judgeJar()));
      for (Path jar : jars(lib)) {
        sha.update(jar.getFileName().toString().getBytes(StandardCharsets.UTF_8));
      }
      return HexFormat.of().formatHex(sha.digest()).substring(0, 16);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + lib, e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<Path> jars(Path lib) throws IOException {
    try (Stream<Path> files = Files.list(lib)) {
      return files.filter(p -> p.toString().endsWith(".jar")).sorted().toList();
    }
  }
}
