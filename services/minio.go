package services

var _ = register(&Service{
	Name:  "minio",
	Order: 50,
	Image: "minio/minio:latest",
	Ports: []Port{
		{Name: "api", Container: 9000, Host: 9000},
		{Name: "console", Container: 9001, Host: 9001},
	},
})
