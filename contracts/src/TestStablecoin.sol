// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @title TestStablecoin
/// @notice "Test USD" (tUSD): a six-decimal ERC-20 with an open faucet, for
/// development chains and tests only. It has no value and no owner: anyone may
/// mint up to MAX_FAUCET per call.
/// @dev Six decimals mirror USDC so amounts written against it carry over to a
/// real stablecoin unchanged.
contract TestStablecoin is ERC20 {
    /// @notice Most tokens (in base units) one faucet call may mint: one million tUSD.
    uint256 public constant MAX_FAUCET = 1_000_000 * 10 ** 6;

    /// @notice A faucet call asked for more than MAX_FAUCET.
    /// @param requested the amount asked for
    /// @param max the per-call limit
    error FaucetLimit(uint256 requested, uint256 max);

    constructor() ERC20("Test USD", "tUSD") {}

    /// @notice tUSD has six decimals, like USDC.
    function decimals() public pure override returns (uint8) {
        return 6;
    }

    /// @notice Mints `amount` base units to `to`.
    /// @dev The per-call cap keeps a runaway script from minting amounts that
    /// overflow downstream arithmetic; call again for more.
    /// @param to who receives the tokens
    /// @param amount base units to mint, at most MAX_FAUCET
    function faucet(address to, uint256 amount) external {
        if (amount > MAX_FAUCET) revert FaucetLimit(amount, MAX_FAUCET);
        _mint(to, amount);
    }
}
