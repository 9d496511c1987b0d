variable "project" {
  description = "GCP project id"
  type        = string
}

variable "region" {
  description = "Region of the network and the instances"
  type        = string
  default     = "europe-west1"
}

variable "zone" {
  description = "Zone of the instances"
  type        = string
  default     = "europe-west1-b"
}

variable "name" {
  description = "Prefix of every resource name"
  type        = string
  default     = "taskmesh"
}

variable "subnet_cidr" {
  description = "Private range of the subnet (the Ansible inventory's common_internal_cidr)"
  type        = string
  default     = "10.10.0.0/16"
}

variable "ssh_source_ranges" {
  description = "Who may reach SSH: Google's IAP TCP forwarding range by default"
  type        = list(string)
  default     = ["35.235.240.0/20"]
}

variable "image" {
  description = "Boot image of every instance"
  type        = string
  default     = "debian-cloud/debian-12"
}

variable "mongodb_config_count" {
  description = "MongoDB config servers (one replica set)"
  type        = number
  default     = 3
}

variable "mongodb_shard_count" {
  description = "MongoDB shards"
  type        = number
  default     = 3
}

variable "mongodb_shard_members" {
  description = "Members of each shard's replica set (no arbiters)"
  type        = number
  default     = 3
}

variable "mongos_count" {
  description = "MongoDB query routers"
  type        = number
  default     = 3
}

variable "api_count" {
  description = "Taskmesh API nodes"
  type        = number
  default     = 3
}

variable "redis_count" {
  description = "Redis hosts (one primary, the rest replicas; Sentinel on each)"
  type        = number
  default     = 3
}

variable "lb_count" {
  description = "NGINX load balancers (each with a public address)"
  type        = number
  default     = 1
}

variable "machine_types" {
  description = "Machine type of each group"
  type        = map(string)
  default = {
    mongodb_config = "e2-small"
    mongodb_shard  = "e2-standard-2"
    mongos         = "e2-small"
    api            = "e2-standard-2"
    redis          = "e2-small"
    lb             = "e2-small"
  }
}

variable "disk_sizes_gb" {
  description = "Boot disk size of each group, in GB"
  type        = map(number)
  default = {
    mongodb_config = 20
    mongodb_shard  = 100
    mongos         = 10
    api            = 10
    redis          = 20
    lb             = 10
  }
}
