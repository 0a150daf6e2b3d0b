package dev.lasermesh.contracts;

/**
 * A Kafka message of the mesh. The methods besides {@link #version()} and {@link #jobId()} are not
 * JSON fields: they tell a producer where and under which key to send the message.
 */
public interface Message {

    /** The contract version, {@link ContractVersion#CURRENT}. */
    int version();

    /** The job the message belongs to. */
    String jobId();

    /** The topic this message type travels on ({@link Topics}). */
    String topic();

    /** The Kafka record key (see {@link Topics}). */
    String key();
}
