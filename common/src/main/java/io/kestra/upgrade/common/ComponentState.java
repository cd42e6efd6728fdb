package io.kestra.upgrade.common;

/** The state of a Kestra server as its agent observes it. */
public enum ComponentState {
  RUNNING,
  STARTING,
  STOPPING,
  STOPPED,
  FAILED,
  UNKNOWN
}
