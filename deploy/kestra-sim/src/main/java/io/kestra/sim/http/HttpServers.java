package io.kestra.sim.http;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/** Binds the JDK's HTTP server, with a small pool of daemon threads. */
public final class HttpServers {

  private HttpServers() {}

  /**
   * Binds all interfaces on {@code port} (not serving yet: add contexts, then start).
   *
   * @param name names the threads and the error message
   * @throws PortInUseException when the port is taken
   */
  public static HttpServer bind(String name, int port, int threads) throws PortInUseException {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress(port), 64);
      AtomicInteger n = new AtomicInteger();
      ExecutorService executor =
          Executors.newFixedThreadPool(
              threads,
              r -> {
                Thread t = new Thread(r, name + "-http-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
              });
      server.setExecutor(executor);
      return server;
    } catch (BindException e) {
      throw new PortInUseException(
          "Unable to start Micronaut server on *:"
              + port
              + " ("
              + name
              + "): Address already in use",
          e);
    } catch (IOException e) {
      throw new PortInUseException(
          "Unable to start Micronaut server on *:" + port + " (" + name + "): " + e.getMessage(),
          e);
    }
  }
}
