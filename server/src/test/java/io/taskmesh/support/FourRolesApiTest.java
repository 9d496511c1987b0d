package io.taskmesh.support;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Base of the authorisation tests: four users signed up once per class — an owner, an editor and
 * a viewer of the lists the owner shares, and a stranger who must never see them.
 */
@ApiTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class FourRolesApiTest {

    /** A well-formed id that names nothing. */
    protected static final String MISSING_ID = "0123456789abcdef01234567";

    @LocalServerPort
    protected int port;

    protected TestUsers users;
    protected TestUsers.User owner;
    protected TestUsers.User editor;
    protected TestUsers.User viewer;
    protected TestUsers.User stranger;

    @BeforeAll
    void signUpFourUsers() {
        users = new TestUsers(port);
        owner = users.signUp();
        editor = users.signUp();
        viewer = users.signUp();
        stranger = users.signUp();
    }

    /** Shares the owner's list with the editor and the viewer in their roles. */
    protected void shareWithEditorAndViewer(String listId) {
        owner.share(listId, editor, "editor");
        owner.share(listId, viewer, "viewer");
    }
}
