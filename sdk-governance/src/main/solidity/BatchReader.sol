// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @title Reads one uint256 view of many accounts in a single eth_call, without being deployed
/// @notice Runs as the init code of an eth_call without a `to` address: calls `target` with
///         `selector(account)` (or `selector(account, argument)`) for each account, and returns the
///         32-byte answers concatenated as the call's result. Never deployed; it only reads.
///         Reverts with ReadFailed(index) when a call fails or answers fewer than 32 bytes.
contract BatchReader {
    error ReadFailed(uint256 index);

    constructor(address target, bytes4 selector, bool withArgument, uint256 argument, address[] memory accounts) {
        bytes memory out = new bytes(accounts.length * 32);
        for (uint256 i = 0; i < accounts.length; i++) {
            bytes memory data = withArgument
                ? abi.encodeWithSelector(selector, accounts[i], argument)
                : abi.encodeWithSelector(selector, accounts[i]);
            (bool ok, bytes memory answer) = target.staticcall(data);
            if (!ok || answer.length < 32) {
                revert ReadFailed(i);
            }
            uint256 value = abi.decode(answer, (uint256));
            assembly {
                mstore(add(add(out, 32), mul(i, 32)), value)
            }
        }
        assembly {
            return(add(out, 32), mload(out))
        }
    }
}
