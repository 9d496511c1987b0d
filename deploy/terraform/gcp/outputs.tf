output "lb_public_addresses" {
  description = "Public addresses of the load balancers (point the site's DNS name here)"
  value = [
    for name, i in google_compute_instance.node :
    i.network_interface[0].access_config[0].nat_ip if local.instances[name].kind == "lb"
  ]
}

# The Ansible inventory of this deployment:
#   terraform output -raw ansible_inventory > ../../ansible/inventories/production/hosts.yml
output "ansible_inventory" {
  description = "Ansible inventory (YAML) with every instance in its groups"
  value = templatefile("${path.module}/inventory.yml.tftpl", {
    groups = {
      for group in distinct(flatten([for i in local.instances : i.groups])) : group => {
        for name, i in local.instances : name => google_compute_instance.node[name].network_interface[0].network_ip
        if contains(i.groups, group)
      }
    }
  })
}
