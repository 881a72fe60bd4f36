/**
 * Chainseal core: what every other module and every verifier builds on, with no network code.
 *
 * <ul>
 *   <li>{@link io.chainseal.core.MessageEnvelope}, its canonical encoding and salted commitment
 *       ({@link io.chainseal.core.Salt});
 *   <li>RFC 9162 Merkle trees ({@link io.chainseal.core.MerkleTree},
 *       {@link io.chainseal.core.MerkleAccumulator}, {@link io.chainseal.core.MerkleVerifier}) and
 *       per-conversation logs ({@link io.chainseal.core.ConversationLog});
 *   <li>signatures: {@link io.chainseal.core.Signer}, {@link io.chainseal.core.SigningKey},
 *       {@link io.chainseal.core.SignatureVerifier} (secp256k1 EIP-191 and Ed25519);
 *   <li>the proof format v1 ({@link io.chainseal.core.MessageProof}, {@link io.chainseal.core.ProofCodec},
 *       {@link io.chainseal.core.EnvelopeCodec}) and the {@link io.chainseal.core.OfflineVerifier}.
 * </ul>
 *
 * <p>Everything in {@code io.chainseal.core.internal} is implementation, not API.
 */
@NullMarked
package io.chainseal.core;

import org.jspecify.annotations.NullMarked;
