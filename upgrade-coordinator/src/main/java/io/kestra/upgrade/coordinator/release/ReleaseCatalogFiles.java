package io.kestra.upgrade.coordinator.release;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import io.kestra.upgrade.coordinator.upgrade.plan.release.Release;
import io.kestra.upgrade.coordinator.upgrade.plan.release.ReleaseCatalog;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the release catalog: the one shipped with the coordinator ({@code release-catalog.json} on
 * the class path), and the operator's file ({@code coordinator.release-catalog}), whose entries
 * replace the shipped entries of the same version and add the others (a release newer than the
 * coordinator, a correction). A file that cannot be read stops the coordinator at start, naming the
 * file and the fault: a catalog silently ignored would let through what it was meant to stop.
 */
public final class ReleaseCatalogFiles {

  /** The shipped catalog's resource. */
  public static final String SHIPPED = "/release-catalog.json";

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  /**
   * The catalog file's shape.
   *
   * @param comment a note for its readers, not read
   * @param releases its entries
   */
  record CatalogFile(@JsonProperty("_comment") String comment, List<Release> releases) {}

  private ReleaseCatalogFiles() {}

  /** The shipped catalog, with {@code override}'s entries over it when given. */
  public static ReleaseCatalog load(Optional<Path> override) {
    Map<String, Release> byVersion = new LinkedHashMap<>();
    try (InputStream in = ReleaseCatalogFiles.class.getResourceAsStream(SHIPPED)) {
      if (in == null) {
        throw new IllegalStateException("the shipped release catalog " + SHIPPED + " is missing");
      }
      read(JSON.readValue(in, CatalogFile.class), byVersion);
    } catch (IOException e) {
      throw new UncheckedIOException("the shipped release catalog is unreadable", e);
    }
    if (override.isPresent()) {
      Path file = override.get();
      try {
        read(JSON.readValue(Files.readString(file), CatalogFile.class), byVersion);
      } catch (ValueInstantiationException e) {
        throw new IllegalStateException(
            "coordinator.release-catalog " + file + ": " + e.getCause().getMessage(), e);
      } catch (JsonProcessingException e) {
        throw new IllegalStateException(
            "coordinator.release-catalog "
                + file
                + " is not a release catalog: "
                + e.getOriginalMessage()
                + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")"),
            e);
      } catch (IOException e) {
        throw new IllegalStateException(
            "coordinator.release-catalog " + file + " cannot be read: " + e, e);
      }
    }
    return new ReleaseCatalog(List.copyOf(byVersion.values()));
  }

  private static void read(CatalogFile file, Map<String, Release> into) {
    if (file.releases() != null) {
      file.releases().forEach(r -> into.put(r.version(), r));
    }
  }
}
