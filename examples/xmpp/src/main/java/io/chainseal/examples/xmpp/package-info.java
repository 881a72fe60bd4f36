/**
 * Chainseal in XMPP, with Smack: {@link io.chainseal.examples.xmpp.ChainsealXmpp} sends messages with a
 * proof reference, delivers their proofs when ready, verifies what comes in, and carries payment
 * receipts and votes as stanzas ({@link io.chainseal.examples.xmpp.ChainsealElement}).
 */
@NullMarked
package io.chainseal.examples.xmpp;

import org.jspecify.annotations.NullMarked;
