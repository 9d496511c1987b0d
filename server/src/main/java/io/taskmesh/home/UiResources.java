package io.taskmesh.home;

import java.io.IOException;
import java.time.Duration;

import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.Resource;
import org.springframework.http.CacheControl;
import org.springframework.web.servlet.config.annotation.ResourceHandlerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.servlet.resource.PathResourceResolver;

/**
 * Serves the built web UI from {@code static/} on the classpath. Vite's hashed files under
 * {@code /assets/} never change, so browsers may keep them for a year; everything else (the entry
 * page above all) is revalidated on each use. Paths of the UI's client-side routes ({@code /login},
 * {@code /lists/abc/active}, ...) get {@code index.html}, so that reloading or sharing such a URL
 * works. API and actuator paths, and paths that name a file, are never answered this way: they stay
 * 404 problems when nothing serves them.
 */
@Configuration(proxyBeanMethods = false)
class UiResources implements WebMvcConfigurer {

    static final String LOCATION = "classpath:/static/";

    @Override
    public void addResourceHandlers(ResourceHandlerRegistry registry) {
        registry.addResourceHandler("/assets/**")
                .addResourceLocations(LOCATION + "assets/")
                .setCacheControl(CacheControl.maxAge(Duration.ofDays(365)).cachePublic().immutable())
                .resourceChain(false);
        registry.addResourceHandler("/**")
                .addResourceLocations(LOCATION)
                .setCacheControl(CacheControl.noCache())
                .resourceChain(false)
                .addResolver(new ClientRouteResolver());
    }

    /** Resolves real files first; otherwise a client-side route resolves to the entry page. */
    static final class ClientRouteResolver extends PathResourceResolver {

        @Override
        protected Resource getResource(String resourcePath, Resource location) throws IOException {
            Resource resource = super.getResource(resourcePath, location);
            if (resource != null || !isClientRoute(resourcePath)) {
                return resource;
            }
            return super.getResource("index.html", location);
        }

        static boolean isClientRoute(String path) {
            String p = path.startsWith("/") ? path.substring(1) : path;
            if (p.isEmpty()) {
                return true;
            }
            String first = p.contains("/") ? p.substring(0, p.indexOf('/')) : p;
            if (first.equals("api") || first.equals("actuator") || first.equals("assets") || first.equals("error")) {
                return false;
            }
            String last = p.endsWith("/") ? "" : p.substring(p.lastIndexOf('/') + 1);
            return !last.contains(".");
        }
    }
}
