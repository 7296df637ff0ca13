package dev.acstoken.directory.jdbc;

/**
 * Stands for the process dying at a point of the protocol: an {@link Error}, which the directory
 * does not catch, so that none of its clean-up runs, as after a kill.
 */
final class SimulatedCrash extends Error {
  private static final long serialVersionUID = 1L;

  SimulatedCrash(String where) {
    super("simulated crash " + where);
  }
}
