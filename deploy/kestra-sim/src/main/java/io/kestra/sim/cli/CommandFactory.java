package io.kestra.sim.cli;

import java.lang.reflect.Constructor;
import picocli.CommandLine;

/**
 * Creates the commands (and the version provider) with the process's {@link SimContext}: those
 * classes take it as their only constructor argument; anything else is picocli's default.
 */
final class CommandFactory implements CommandLine.IFactory {

  private final SimContext context;
  private final CommandLine.IFactory fallback = CommandLine.defaultFactory();

  CommandFactory(SimContext context) {
    this.context = context;
  }

  @Override
  public <K> K create(Class<K> type) throws Exception {
    for (Constructor<?> c : type.getDeclaredConstructors()) {
      if (c.getParameterCount() == 1 && c.getParameterTypes()[0] == SimContext.class) {
        c.setAccessible(true);
        return type.cast(c.newInstance(context));
      }
    }
    return fallback.create(type);
  }
}
