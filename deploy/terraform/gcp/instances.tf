locals {
  # One entry per instance: its Ansible groups, the machine-type key and the network tag.
  shard_members = flatten([
    for shard in range(1, var.mongodb_shard_count + 1) : [
      for member in range(1, var.mongodb_shard_members + 1) : {
        name   = "shard${shard}-${member}"
        groups = ["mongodb_shard_${shard}"]
        kind   = "mongodb_shard"
      }
    ]
  ])

  simple_groups = {
    mongodb_config = { count = var.mongodb_config_count, prefix = "cfg" }
    mongos         = { count = var.mongos_count, prefix = "mongos" }
    redis          = { count = var.redis_count, prefix = "redis" }
    api            = { count = var.api_count, prefix = "api" }
    lb             = { count = var.lb_count, prefix = "lb" }
  }

  simple_members = flatten([
    for kind, group in local.simple_groups : [
      for n in range(1, group.count + 1) : {
        name   = "${group.prefix}-${n}"
        groups = [kind]
        kind   = kind
      }
    ]
  ])

  instances = { for i in concat(local.shard_members, local.simple_members) : i.name => i }
}

resource "google_compute_instance" "node" {
  for_each = local.instances

  name         = "${var.name}-${each.key}"
  machine_type = var.machine_types[each.value.kind]
  tags         = [replace(each.value.kind, "_", "-")]
  labels = {
    app  = var.name
    tier = replace(each.value.kind, "_", "-")
  }

  boot_disk {
    initialize_params {
      image = var.image
      size  = var.disk_sizes_gb[each.value.kind]
      type  = "pd-balanced"
    }
  }

  network_interface {
    subnetwork = google_compute_subnetwork.main.id

    # A public address for the load balancers only.
    dynamic "access_config" {
      for_each = each.value.kind == "lb" ? [1] : []
      content {}
    }
  }

  metadata = {
    enable-oslogin = "TRUE"
  }

  shielded_instance_config {
    enable_secure_boot = true
  }
}
