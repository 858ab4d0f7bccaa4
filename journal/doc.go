// Package journal holds the domain of an incident journal and its store.
//
// # The log
//
// A journal is one bbolt file. Its log is append-only: each entry is a
// [Record] (an incident, an amendment, a void, an attachment, a checkpoint or
// a disclosure) sealed as one age ciphertext and kept in an [Envelope] with
// the [Hash] of the entry before it. Removing, reordering or changing any
// entry breaks the chain from there on, and [Store.Verify] names where. The
// head of the chain, shortened by [Fingerprint], is what a user gives to
// others so that they can later check that nothing before it changed.
//
// Replaying the log ([State.Apply]) gives each [Incident] as it stands now,
// with its history.
//
// # Opening and the use cases
//
// A client (the command line, a sync program, an agent) opens a journal
// with [OpenJournal], for reading, changing, appending or checking, and
// gives an [Unlocker] for the keys: the opening compares the file with what
// this computer has seen of it (its [Pin]), so that a journal put back or
// replaced is refused. What a user does to the journal is a method of the
// store, whole or not at all: [Store.AddIncident] with its evidence,
// [Store.Attach], [Store.Amend], [Store.Void], [Store.VoidImport],
// [Store.Import].
//
// # Sealing
//
// This package does not encrypt: it takes a [Sealer] to append and an
// [Opener] to read, which the crypto package provides. Appending needs only
// the journal's public recipients, so a record can be added without the
// passphrase.
package journal
