package services

var _ = register(&Service{
	Name:  "opensearch",
	Order: 40,
	Image: "opensearchproject/opensearch:2.19.1",
	Ports: []Port{
		{Name: "http", Container: 9200, Host: 9400},
		{Name: "performance-analyzer", Container: 9600, Host: 9800},
	},
})
