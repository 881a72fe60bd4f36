/**
 * Chainseal governance: proposals, EIP-712 signed votes weighted by token balance at a snapshot block, and recomputable tallies.
 */
@NullMarked
package io.chainseal.governance;

import org.jspecify.annotations.NullMarked;
