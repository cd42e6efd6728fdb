package io.kestra.upgrade.sandbox.support;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.stream.Stream;

/** Deletes folder trees: the sandbox's working folder, or all of it but its logs. */
public final class Trees {

  private Trees() {}

  /**
   * Deletes {@code root} and everything under it; nothing happens when it does not exist. Links are
   * deleted, not followed.
   *
   * @throws IOException when a file cannot be deleted (the first failure; the walk stops there)
   */
  public static void delete(Path root) throws IOException {
    if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    Files.walkFileTree(
        root,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            deleteIfThere(file);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path dir, IOException failure)
              throws IOException {
            if (failure != null) {
              throw failure;
            }
            deleteIfThere(dir);
            return FileVisitResult.CONTINUE;
          }
        });
  }

  /** Deletes every entry of {@code folder} but {@code keep}; nothing happens when it is missing. */
  public static void deleteAllBut(Path folder, Path keep) throws IOException {
    if (!Files.isDirectory(folder)) {
      return;
    }
    List<Path> entries;
    try (Stream<Path> list = Files.list(folder)) {
      entries = list.filter(p -> !p.equals(keep)).toList();
    }
    for (Path p : entries) {
      delete(p);
    }
  }

  private static void deleteIfThere(Path p) throws IOException {
    try {
      Files.delete(p);
    } catch (NoSuchFileException e) {
      // a process that was stopping removed it first (a pid file, a lock): the goal is reached
    }
  }
}
