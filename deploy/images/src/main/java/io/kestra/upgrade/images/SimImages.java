package io.kestra.upgrade.images;

import com.github.dockerjava.api.DockerClient;
import io.kestra.sim.Install;
import io.kestra.sim.version.SimVersion;
import io.kestra.sim.version.VersionCatalog;
import java.io.IOException;
import java.io.InputStream;
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
 * The stand-in Kestra's images, {@code local/kestra-sim:v<version>} and {@code
 * local/kestra-sim:v<version>-no-plugins}, as Kestra publishes {@code kestra/kestra:v<version>} and
 * its {@code -no-plugins} flavour. The repository is {@code local/...} so that they can never
 * shadow a real Kestra image on an operator's host.
 *
 * <p>An image is built only when absent or built from other simulator jars (a label holds their
 * digest); the engine's layer cache makes a rebuild cheap. They are built FROM {@link #BASE_IMAGE},
 * which {@code deploy/docker/engine up} debootstraps: nothing is pulled.
 */
public final class SimImages {

  /** The base image every image of the project is built from. */
  public static final String BASE_IMAGE =
      Optional.ofNullable(System.getenv("KESTRA_UPGRADE_BASE_IMAGE"))
          .orElse("local/kestra-upgrade-base:bookworm-jre17");

  /** The stand-in's repository. */
  public static final String REPOSITORY = "local/kestra-sim";

  /** The no-plugins flavour's tag suffix, as Kestra's. */
  public static final String NO_PLUGINS = "-no-plugins";

  private static final String DIGEST_LABEL = "io.kestra.upgrade.sim.digest";
  private static final String CLASSPATH = "/app/sim/kestra-sim.jar:/app/sim/lib/*";

  private final DockerClient docker;
  private final Path simJar;
  private final Path simLibs;

  /**
   * @param simJar {@code deploy/kestra-sim/target/kestra-sim.jar}
   * @param simLibs its dependencies, {@code deploy/kestra-sim/target/lib}
   */
  public SimImages(DockerClient docker, Path simJar, Path simLibs) {
    this.docker = docker;
    this.simJar = simJar;
    this.simLibs = simLibs;
  }

  /** The image name of {@code version}: {@code local/kestra-sim:v1.0.0[-no-plugins]}. */
  public static String image(String version, boolean plugins) {
    return REPOSITORY + ":v" + VersionCatalog.resolve(version) + (plugins ? "" : NO_PLUGINS);
  }

  /**
   * Makes sure both flavours of each version are on the engine, building what is missing or stale.
   *
   * @return the image names, in the order of {@code versions}, the full flavour first
   * @throws IllegalStateException when the base image is missing or a build fails
   */
  public List<String> ensure(List<String> versions) {
    ImageBuilds.requireBase(docker, BASE_IMAGE);
    String digest = digest();
    List<String> images = new ArrayList<>();
    for (String v : versions) {
      SimVersion version = VersionCatalog.resolve(v);
      for (boolean plugins : List.of(true, false)) {
        String image = image(version.toString(), plugins);
        if (!current(image, digest)) {
          build(version, plugins, image, digest);
        }
        images.add(image);
      }
    }
    return images;
  }

  private boolean current(String image, String digest) {
    return ImageBuilds.current(docker, image, DIGEST_LABEL, digest);
  }

  private void build(SimVersion version, boolean plugins, String image, String digest) {
    Path context;
    try {
      context = context(version, plugins);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the build context of " + image, e);
    }
    ImageBuilds.build(
        docker,
        context,
        image,
        Map.of(
            "BASE",
            BASE_IMAGE,
            "VERSION",
            version.toString(),
            "FLAVOUR",
            plugins ? "with plugins" : "no plugins",
            "DIGEST",
            digest),
        false);
  }

  private Path context(SimVersion version, boolean plugins) throws IOException {
    Path dir = Files.createTempDirectory("kestra-sim-image");
    try (InputStream dockerfile =
        SimImages.class.getResourceAsStream("/images/kestra-sim.Dockerfile")) {
      Files.copy(dockerfile, dir.resolve("Dockerfile"));
    }
    Path lib = Files.createDirectories(dir.resolve("sim/lib"));
    Files.copy(simJar, dir.resolve("sim/kestra-sim.jar"));
    for (Path jar : jars()) {
      Files.copy(jar, lib.resolve(jar.getFileName()));
    }
    Path pluginDir = Files.createDirectories(dir.resolve("plugins"));
    // the stand-in loads no plugins: the flavours differ by this folder only, so that an upgrade
    // that loses the flavour is seen (the tag says which, the folder shows it)
    Files.writeString(
        pluginDir.resolve("README"),
        plugins
            ? "Kestra's full image bundles its plugins here; the stand-in has none to load.\n"
            : "The -no-plugins flavour: plugins are added by the operator.\n",
        StandardCharsets.UTF_8);
    Files.writeString(dir.resolve("kestra"), Install.script(version, CLASSPATH));
    return dir;
  }

  private List<Path> jars() throws IOException {
    try (Stream<Path> files = Files.list(simLibs)) {
      return files.filter(p -> p.toString().endsWith(".jar")).sorted().toList();
    }
  }

  /** A digest of the simulator's jars and of the Dockerfile: what an image is built from. */
  private String digest() {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(Files.readAllBytes(simJar));
      for (Path jar : jars()) {
        sha.update(jar.getFileName().toString().getBytes(StandardCharsets.UTF_8));
        sha.update(Files.readAllBytes(jar));
      }
      try (InputStream dockerfile =
          SimImages.class.getResourceAsStream("/images/kestra-sim.Dockerfile")) {
        sha.update(dockerfile.readAllBytes());
      }
      return HexFormat.of().formatHex(sha.digest()).substring(0, 16);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the simulator's jars in " + simLibs, e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
