/**
 * Chainseal anchor: the anchor contract, chain access, the batching anchorer with its durable journal, and the online provenance verifier.
 */
@NullMarked
package io.chainseal.anchor;

import org.jspecify.annotations.NullMarked;
