package io.chainseal.core;

import java.util.Objects;

/**
 * A message together with its salt: what a recipient or auditor needs, with the proof, to verify it.
 * Its JSON form ({@link EnvelopeCodec#toJson(SaltedEnvelope)}) is the "message file" of exports and
 * of {@code chainseal verify}. Holding the salt, it is as private as the message itself.
 *
 * @param envelope the message
 * @param salt its commitment salt
 */
public record SaltedEnvelope(MessageEnvelope envelope, Salt salt) {
  public SaltedEnvelope {
    Objects.requireNonNull(envelope, "envelope == null");
    Objects.requireNonNull(salt, "salt == null");
  }
}
