package io.kestra.sim.api;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.kestra.sim.http.Responses;
import java.io.IOException;
import java.sql.SQLException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Base of the API handlers: maps a refused request to 400 and a database failure to 500 with
 * Kestra's {@code {"message": ...}} body, and always closes the exchange.
 */
abstract class ApiHandler implements HttpHandler {

  private static final Logger LOG = Logger.getLogger(ApiHandler.class.getName());

  @Override
  public final void handle(HttpExchange exchange) throws IOException {
    try {
      serve(exchange);
    } catch (BadRequestException e) {
      Responses.error(exchange, 400, e.getMessage());
    } catch (SQLException e) {
      LOG.log(Level.WARNING, "API request failed: " + exchange.getRequestURI(), e);
      Responses.error(exchange, 500, "Internal Server Error: " + e.getMessage());
    } finally {
      exchange.close();
    }
  }

  /** Serves one request. */
  abstract void serve(HttpExchange exchange) throws IOException, SQLException, BadRequestException;
}
