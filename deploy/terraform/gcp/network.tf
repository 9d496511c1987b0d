resource "google_compute_network" "main" {
  name                    = var.name
  auto_create_subnetworks = false
}

resource "google_compute_subnetwork" "main" {
  name                     = "${var.name}-${var.region}"
  network                  = google_compute_network.main.id
  ip_cidr_range            = var.subnet_cidr
  private_ip_google_access = true
}

# Instances other than the load balancer have no public address; they reach Debian's and
# MongoDB's package mirrors through Cloud NAT.
resource "google_compute_router" "main" {
  name    = var.name
  network = google_compute_network.main.id
}

resource "google_compute_router_nat" "main" {
  name                               = var.name
  router                             = google_compute_router.main.name
  nat_ip_allocate_option             = "AUTO_ONLY"
  source_subnetwork_ip_ranges_to_nat = "ALL_SUBNETWORKS_ALL_IP_RANGES"
}

# Only the load balancer is public.
resource "google_compute_firewall" "lb_public" {
  name          = "${var.name}-lb-public"
  network       = google_compute_network.main.id
  source_ranges = ["0.0.0.0/0"]
  target_tags   = ["lb"]

  allow {
    protocol = "tcp"
    ports    = ["80", "443"]
  }
}

resource "google_compute_firewall" "ssh" {
  name          = "${var.name}-ssh"
  network       = google_compute_network.main.id
  source_ranges = var.ssh_source_ranges

  allow {
    protocol = "tcp"
    ports    = ["22"]
  }
}

# Inside the network, each tier accepts only the tiers that call it.
resource "google_compute_firewall" "internal" {
  for_each = {
    api            = { sources = ["lb"], ports = ["8080"] }
    redis          = { sources = ["api", "redis"], ports = ["6379", "26379"] }
    mongos         = { sources = ["api", "mongos"], ports = ["27017"] }
    mongodb_shard  = { sources = ["mongos", "mongodb-shard", "mongodb-config"], ports = ["27018"] }
    mongodb_config = { sources = ["mongos", "mongodb-shard", "mongodb-config"], ports = ["27019"] }
  }

  name        = "${var.name}-to-${replace(each.key, "_", "-")}"
  network     = google_compute_network.main.id
  source_tags = each.value.sources
  target_tags = [replace(each.key, "_", "-")]

  allow {
    protocol = "tcp"
    ports    = each.value.ports
  }
}
