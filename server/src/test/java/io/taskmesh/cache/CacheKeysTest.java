package io.taskmesh.cache;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CacheKeysTest {

    private static final String LIST = "0123456789abcdef01234567";
    private static final String USER = "89abcdef0123456789abcdef";

    @Test
    void everyEntryNamesTheVersionItWasReadUnder() {
        assertThat(CacheKeys.entry("tasks", LIST, "41", "all:50"))
                .isEqualTo("taskmesh:cache:tasks:" + LIST + ":41:all:50")
                .isNotEqualTo(CacheKeys.entry("tasks", LIST, "42", "all:50"));
        assertThat(CacheKeys.members(LIST, "41")).isNotEqualTo(CacheKeys.members(LIST, "42"));
    }

    @Test
    void answersStoredCompressedAreApartFromTheJsonOfOlderBuilds() {
        assertThat(CacheKeys.answer("tasks", LIST, "41", "all:50"))
                .isEqualTo("taskmesh:cache:tasks:" + LIST + ":41:all:50:gz")
                .isNotEqualTo(CacheKeys.entry("tasks", LIST, "41", "all:50"));
    }

    @Test
    void listAndUserCountersAndEntriesNeverShareAKey() {
        assertThat(CacheKeys.listVersion(LIST)).isEqualTo("taskmesh:cache:version:list:" + LIST);
        assertThat(CacheKeys.userVersion(LIST)).isNotEqualTo(CacheKeys.listVersion(LIST));
        assertThat(CacheKeys.entry("lists", USER, "1", "all")).isNotEqualTo(CacheKeys.entry("view", USER, "1", "all"));
        assertThat(CacheKeys.members(LIST, "1")).isNotEqualTo(CacheKeys.entry("tasks", LIST, "1", "all"));
        assertThat(CacheKeys.membersVersion(LIST)).isNotEqualTo(CacheKeys.listVersion(LIST))
                .isNotEqualTo(CacheKeys.userVersion(LIST));
        assertThat(CacheKeys.members(LIST, "1")).as("not a key of builds that versioned members with the list")
                .isNotEqualTo("taskmesh:cache:members:" + LIST + ":1")
                .as("not a key of builds that cached the member ids without roles")
                .isNotEqualTo("taskmesh:cache:member-ids:" + LIST + ":1");
    }

    @Test
    void variantsOfOneReadAreApart() {
        assertThat(CacheKeys.entry("tasks", LIST, "1", "active:50"))
                .isNotEqualTo(CacheKeys.entry("tasks", LIST, "1", "completed:50"))
                .isNotEqualTo(CacheKeys.entry("tasks", LIST, "1", "active:200"));
    }
}
