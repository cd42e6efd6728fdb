package io.kestra.upgrade.images;

import com.github.dockerjava.api.DockerClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The product's own images, built here as Quarkus builds JVM images: from a module's folder, with
 * its {@code src/main/docker/Dockerfile.jvm} over {@code target/quarkus-app}, {@code FROM} the base
 * image ({@link SimImages#BASE_IMAGE}: no registry to pull from). Rebuilt only when the application
 * or its Dockerfile changed (a digest label says what an image was built from).
 */
public final class ProductImages {

  /** The coordinator's image. */
  public static final String COORDINATOR = "local/kestra-upgrade-coordinator:latest";

  /** The agent's image. */
  public static final String AGENT = "local/kestra-upgrade-agent:latest";

  private static final String DIGEST_LABEL = "io.kestra.upgrade.image.digest";
  private static final String DOCKERFILE = "src/main/docker/Dockerfile.jvm";

  private final DockerClient docker;

  public ProductImages(DockerClient docker) {
    this.docker = docker;
  }

  /**
   * Both images, from the modules under {@code repo} (each packaged first: {@code mvn package}).
   *
   * @return the image names
   */
  public List<String> ensure(Path repo) {
    ensure(repo.resolve("upgrade-coordinator"), COORDINATOR);
    ensure(repo.resolve("component-agent"), AGENT);
    return List.of(COORDINATOR, AGENT);
  }

  /** The image {@code name} of the module in {@code module}, built when missing or stale. */
  public void ensure(Path module, String name) {
    Path app = module.resolve("target/quarkus-app/quarkus-run.jar");
    if (!Files.exists(app)) {
      throw new IllegalStateException(app + " is missing: package the module first (mvn package)");
    }
    String digest = digest(module);
    if (current(name, digest)) {
      return;
    }
    Path context;
    try {
      context = context(module);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the build context of " + name, e);
    }
    // the agent's image installs Debian's Compose: the engine has no container network
    ImageBuilds.build(
        docker, context, name, Map.of("BASE", SimImages.BASE_IMAGE, "DIGEST", digest), true);
  }

  /**
   * The module's Dockerfile and {@code target/quarkus-app}, alone in a folder: what its {@code
   * .dockerignore} lets {@code docker build} see (docker-java reads only simple patterns).
   */
  private static Path context(Path module) throws IOException {
    Path dir = Files.createTempDirectory("kestra-upgrade-image");
    // at the context's root: docker-java does not send a Dockerfile from a sub-folder
    Files.copy(module.resolve(DOCKERFILE), dir.resolve("Dockerfile"));
    Path app = module.resolve("target/quarkus-app");
    try (Stream<Path> walk = Files.walk(app)) {
      for (Path p : walk.toList()) {
        Path to = dir.resolve("target/quarkus-app").resolve(app.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(to);
        } else {
          Files.copy(p, to);
        }
      }
    }
    return dir;
  }

  private boolean current(String image, String digest) {
    return ImageBuilds.current(docker, image, DIGEST_LABEL, digest);
  }

  /** A digest of the Dockerfile and of every file of {@code target/quarkus-app}. */
  private static String digest(Path module) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(Files.readAllBytes(module.resolve(DOCKERFILE)));
      Path app = module.resolve("target/quarkus-app");
      List<Path> files;
      try (Stream<Path> walk = Files.walk(app)) {
        files = walk.filter(Files::isRegularFile).sorted().toList();
      }
      for (Path f : files) {
        sha.update(app.relativize(f).toString().getBytes(StandardCharsets.UTF_8));
        sha.update(Files.readAllBytes(f));
      }
      return HexFormat.of().formatHex(sha.digest()).substring(0, 16);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + module, e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
