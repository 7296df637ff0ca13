/**
 * The {@code acs-token} command-line tool: the ACS access-token quickstart ({@code acs-token
 * quickstart}) and commands to create and delete identities, issue, revoke and inspect tokens,
 * exchange Teams tokens and run the emulator. {@link dev.acstoken.cli.Main} is the entry point; the
 * exit codes are in {@link dev.acstoken.cli.ExitCode}.
 */
@NullMarked
package dev.acstoken.cli;

import org.jspecify.annotations.NullMarked;
