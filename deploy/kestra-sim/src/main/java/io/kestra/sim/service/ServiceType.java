package io.kestra.sim.service;

/** Kestra's service types: a standalone server runs one service of each. */
public enum ServiceType {
  EXECUTOR,
  WORKER,
  SCHEDULER,
  WEBSERVER,
  INDEXER
}
