package io.kestra.sim.server;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.Level;
import java.util.logging.Logger;

/** This host's name, without a DNS lookup where the kernel tells it (a lookup can take seconds). */
final class Hostnames {

  private static final Logger LOG = Logger.getLogger(Hostnames.class.getName());
  private static final Path KERNEL = Path.of("/proc/sys/kernel/hostname");

  private Hostnames() {}

  static String local() {
    try {
      if (Files.isReadable(KERNEL)) {
        String name = Files.readString(KERNEL).trim();
        if (!name.isEmpty()) {
          return name;
        }
      }
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      LOG.log(Level.FINE, "Cannot read the host name, using localhost", e);
      return "localhost";
    }
  }
}
