package io.taskmesh.store;

/** One human-readable line saying which store is used and where its data lives. */
public record StoreDescription(String text) {
}
