/**
 * Chainseal chain: what every on-chain sender and reader shares — {@link io.chainseal.chain.ChainClient}
 * (JSON-RPC in Chainseal's own types, on Web3j, with failover across endpoints of one chain), typed node
 * errors ({@link io.chainseal.chain.ChainException.Kind}), and the reliable-transaction layer.
 *
 * <p>Everything in {@code io.chainseal.chain.internal} is implementation, not API.
 */
@NullMarked
package io.chainseal.chain;

import org.jspecify.annotations.NullMarked;
