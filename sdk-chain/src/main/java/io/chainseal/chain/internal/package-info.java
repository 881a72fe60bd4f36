/** Implementation of sdk-chain: Web3j adapters, failover, signing, nonces. Not API. */
@NullMarked
package io.chainseal.chain.internal;

import org.jspecify.annotations.NullMarked;
