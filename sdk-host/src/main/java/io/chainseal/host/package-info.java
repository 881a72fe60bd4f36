/**
 * One entry point for an IM server: {@link io.chainseal.host.Chainseal} wires anchoring, verification,
 * the encrypted message store, erasure and export together, configured in code or from a properties
 * file, with the hooks a server calls as messages go out, come in, get their proofs, are erased and
 * exported.
 */
@NullMarked
package io.chainseal.host;

import org.jspecify.annotations.NullMarked;
