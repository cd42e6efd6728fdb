package io.kestra.upgrade.sandbox.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TreesTest {

  @TempDir Path tmp;

  @Test
  void deletesANestedTreeButNotWhatALinkInItPointsTo() throws Exception {
    Path outside = Files.writeString(tmp.resolve("outside.txt"), "keep me");
    Path root = tmp.resolve("root");
    Files.createDirectories(root.resolve("a/b/c"));
    Files.writeString(root.resolve("a/b/c/file"), "x");
    Files.createSymbolicLink(root.resolve("a/link"), outside);
    Files.createSymbolicLink(root.resolve("a/dirlink"), tmp);

    Trees.delete(root);

    assertThat(root).doesNotExist();
    assertThat(outside).hasContent("keep me");
  }

  @Test
  void deletingWhatIsNotThereIsNothing() throws Exception {
    Trees.delete(tmp.resolve("never-made"));
    Trees.deleteAllBut(tmp.resolve("never-made"), tmp.resolve("never-made/logs"));

    assertThat(tmp).isEmptyDirectory();
  }

  @Test
  void deleteAllButKeepsTheOneEntryAndItsContent() throws Exception {
    Path logs = Files.createDirectories(tmp.resolve("logs"));
    Files.writeString(logs.resolve("kafka.log"), "kept");
    Files.createDirectories(tmp.resolve("data/postgres"));
    Files.writeString(tmp.resolve("pid"), "1");

    Trees.deleteAllBut(tmp, logs);

    try (var left = Files.list(tmp)) {
      assertThat(left).containsExactly(logs);
    }
    assertThat(logs.resolve("kafka.log")).hasContent("kept");
  }
}
