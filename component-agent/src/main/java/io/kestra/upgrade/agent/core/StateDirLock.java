package io.kestra.upgrade.agent.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An exclusive lock on a state directory, held while an agent runs: two agents writing one journal
 * would each run commands the other thinks are running, which the journal exists to prevent.
 */
final class StateDirLock implements AutoCloseable {

  static final String FILE_NAME = "agent.lock";

  private final FileChannel channel;
  private final FileLock lock;

  private StateDirLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Takes the lock of {@code stateDir}, creating the directory.
   *
   * @throws IllegalStateException when another agent (in this JVM or another) holds it
   */
  static StateDirLock acquire(Path stateDir) {
    FileChannel channel = null;
    try {
      Files.createDirectories(stateDir);
      channel =
          FileChannel.open(
              stateDir.resolve(FILE_NAME), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock lock = channel.tryLock();
      if (lock == null) {
        throw inUse(stateDir);
      }
      return new StateDirLock(channel, lock);
    } catch (OverlappingFileLockException e) {
      closeQuietly(channel);
      throw inUse(stateDir);
    } catch (IOException e) {
      closeQuietly(channel);
      throw new UncheckedIOException("cannot lock the state directory " + stateDir, e);
    } catch (IllegalStateException e) {
      closeQuietly(channel);
      throw e;
    }
  }

  @Override
  public void close() {
    try {
      lock.release();
    } catch (IOException e) {
      // closing the channel below releases it all the same
    }
    closeQuietly(channel);
  }

  private static IllegalStateException inUse(Path stateDir) {
    return new IllegalStateException(
        "the state directory " + stateDir + " is in use by another running agent");
  }

  private static void closeQuietly(FileChannel channel) {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException e) {
        // nothing was written through it: there is nothing to lose
      }
    }
  }
}
