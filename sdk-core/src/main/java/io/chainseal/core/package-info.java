/**
 * Chainseal core: message envelopes, salted commitments, RFC 9162 Merkle trees, signatures, the proof format and the offline verifier. No network code.
 */
@NullMarked
package io.chainseal.core;

import org.jspecify.annotations.NullMarked;
