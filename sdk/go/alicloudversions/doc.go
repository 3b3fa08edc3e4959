// WebPlus package versions and Service Catalog product versions.
package alicloudversions
