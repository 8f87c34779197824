package services

var _ = register(&Service{
	Name:     "opensearch-dashboards",
	Order:    60,
	Optional: true,
	Image:    "opensearchproject/opensearch-dashboards:2.19.1",
	Ports:    []Port{{Name: "http", Container: 5601, Host: 5801}},
})
