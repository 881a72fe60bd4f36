package io.chainseal.core;

import java.util.List;
import java.util.Optional;

/**
 * Where a host keeps its messages: each message's envelope and salt, encrypted at rest under a data
 * key of its conversation and sender (wrapped by a {@link KeyProvider}), beside its commitment and
 * proof. Erasing destroys what makes a message readable and provable — its ciphertext, or the data
 * key of everything a sender wrote in a conversation — while its commitment and proof stay, so the
 * record that <em>a</em> message existed survives ({@link io.chainseal.core.MessageProof#redactedForErasure()}).
 * Every erasure returns a signed {@link ErasureReceipt}. Implementations are thread-safe.
 */
public interface MessageStore extends AutoCloseable {
  /**
   * Stores {@code message}. Storing the same message again changes nothing (an erased one stays
   * erased); another message under the same conversation and message id is refused.
   *
   * @throws IllegalStateException if another message is stored under its id
   */
  void put(SaltedEnvelope message);

  /**
   * Stores {@code messages} as {@link #put} would, all or none — in one transaction where the store
   * has them (one durable write for the lot instead of one per message).
   */
  default void putAll(List<SaltedEnvelope> messages) {
    for (SaltedEnvelope message : messages) {
      put(message);
    }
  }

  /** Attaches {@code proof} to the stored message it proves (the latest proof replaces an earlier one). */
  void putProof(MessageRef ref, MessageProof proof);

  /** The stored message, decrypted; its envelope and salt are empty once erased. */
  Optional<StoreEntry> get(MessageRef ref);

  /** The ids of a conversation's messages, erased ones included, in the order they were stored. */
  List<MessageRef> conversation(String conversationId);

  /** Erases one message. */
  ErasureReceipt erase(MessageRef ref);

  /** Erases every message {@code senderId} sent, in every conversation. */
  ErasureReceipt eraseSender(String senderId);

  /** Erases every message of a conversation. */
  ErasureReceipt eraseConversation(String conversationId);

  /**
   * Erases the messages of a conversation stored before {@code cutoff} (a retention policy's work:
   * the data keys stay, for the messages kept).
   */
  ErasureReceipt eraseStoredBefore(String conversationId, java.time.Instant cutoff);

  /** The conversations that have messages in the store. */
  List<String> conversations();

  @Override
  void close();
}
