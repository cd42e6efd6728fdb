package io.kestra.upgrade.agent.driver.process;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.kestra.upgrade.common.JsonCodec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reads and atomically replaces the {@link ServerRecord} file in the state directory. */
final class ServerRecordStore {

  static final String FILE_NAME = "process-server.json";

  private static final Logger LOG = LoggerFactory.getLogger(ServerRecordStore.class);

  private final Path file;
  private final ObjectMapper mapper = JsonCodec.create().mapper();

  ServerRecordStore(Path stateDir) {
    this.file = stateDir.resolve(FILE_NAME);
  }

  Optional<ServerRecord> read() {
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    try {
      return Optional.of(mapper.readValue(file.toFile(), ServerRecord.class));
    } catch (IOException e) {
      // without it the agent cannot adopt: it reports the server stopped rather than guess
      LOG.warn("ignoring unreadable {}: {}", file, e.getMessage());
      return Optional.empty();
    }
  }

  /** Replaces the file: written aside, forced, then moved over, so a crash leaves old or new. */
  void write(ServerRecord record) {
    Path tmp = file.resolveSibling(FILE_NAME + ".tmp");
    try {
      Files.createDirectories(file.getParent());
      Files.write(tmp, mapper.writeValueAsBytes(record));
      try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        channel.force(true);
      }
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }
}
