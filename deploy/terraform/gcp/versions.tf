terraform {
  required_version = ">= 1.5"

  required_providers {
    google = {
      source  = "hashicorp/google"
      version = "~> 6.0"
    }
  }

  # State in a GCS bucket (versioned, created once by hand; see docs/deploy.md). The bucket is
  # given at init time: terraform init -backend-config="bucket=NAME".
  backend "gcs" {
    prefix = "taskmesh/state"
  }
}

# Credentials come from the environment only (Application Default Credentials:
# `gcloud auth application-default login`, or the VM's service account); none in files.
provider "google" {
  project = var.project
  region  = var.region
  zone    = var.zone
}
