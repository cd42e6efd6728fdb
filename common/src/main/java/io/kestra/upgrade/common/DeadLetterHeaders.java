package io.kestra.upgrade.common;

/**
 * The headers of a record copied to {@link Topics#deadLetter()}: the names SmallRye Reactive
 * Messaging's {@code dead-letter-queue} failure strategy writes, which the coordinator uses, so
 * that the agents' copies read the same. The value of the copy is the record's value as received,
 * and its key the record's key.
 */
public final class DeadLetterHeaders {

  /** Why the record was set aside: the failure's message. */
  public static final String REASON = "dead-letter-reason";

  /** The message of the failure's cause, when it has one. */
  public static final String CAUSE = "dead-letter-cause";

  /** The class of the failure. */
  public static final String EXCEPTION_CLASS = "dead-letter-exception-class-name";

  /** The class of the failure's cause, when it has one. */
  public static final String CAUSE_CLASS = "dead-letter-cause-class-name";

  /** The topic the record was read from. */
  public static final String TOPIC = "dead-letter-topic";

  /** Its partition. */
  public static final String PARTITION = "dead-letter-partition";

  /** Its offset in that partition. */
  public static final String OFFSET = "dead-letter-offset";

  private DeadLetterHeaders() {}
}
