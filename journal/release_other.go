//go:build !linux

package journal

import bolt "go.etcd.io/bbolt"

// release does nothing where the kernel is not asked to drop mapped pages.
func release([]byte) {}

// releaseMap does nothing where the kernel is not asked to drop mapped
// pages.
func releaseMap(*bolt.Tx) {}
