package io.kestra.upgrade.images;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.BuildImageCmd;
import com.github.dockerjava.api.command.BuildImageResultCallback;
import com.github.dockerjava.api.command.InspectImageResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * What {@link SimImages} and {@link ProductImages} build alike: an image from a context folder with
 * its {@code Dockerfile} at the root, nothing pulled, and a label with the digest of what it was
 * built from, by which a current image is told from a stale one.
 */
final class ImageBuilds {

  private ImageBuilds() {}

  /**
   * Fails when {@code base}, an image that {@code deploy/docker/engine up} builds, is not on the
   * engine, saying so.
   */
  static void requireBase(DockerClient docker, String base) {
    try {
      docker.inspectImageCmd(base).exec();
    } catch (NotFoundException e) {
      throw new IllegalStateException(
          "the base image " + base + " is missing: `" + Engine.PROVIDE + "` builds it", e);
    }
  }

  /** Whether {@code image} exists with {@code label} equal to {@code digest}. */
  static boolean current(DockerClient docker, String image, String label, String digest) {
    try {
      InspectImageResponse found = docker.inspectImageCmd(image).exec();
      Map<String, String> labels = found.getConfig() == null ? null : found.getConfig().getLabels();
      return labels != null && digest.equals(labels.get(label));
    } catch (NotFoundException e) {
      return false;
    }
  }

  /**
   * Builds {@code image} from {@code context} (deleted afterwards) with {@code args}.
   *
   * @param hostNetwork whether the build's {@code RUN} steps use the host's network (this engine
   *     has no other)
   * @throws IllegalStateException when the build fails
   */
  static void build(
      DockerClient docker,
      Path context,
      String image,
      Map<String, String> args,
      boolean hostNetwork) {
    try {
      BuildImageCmd cmd =
          docker
              .buildImageCmd(context.resolve("Dockerfile").toFile())
              .withBaseDirectory(context.toFile())
              .withTags(Set.of(image))
              .withPull(false);
      if (hostNetwork) {
        cmd.withNetworkMode("host");
      }
      args.forEach(cmd::withBuildArg);
      cmd.exec(new BuildImageResultCallback()).awaitImageId();
    } catch (RuntimeException e) {
      throw new IllegalStateException("building " + image + " failed: " + e.getMessage(), e);
    } finally {
      deleteQuietly(context);
    }
  }

  static void deleteQuietly(Path dir) {
    if (dir == null) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temporary folder left behind is harmless
    }
  }
}
