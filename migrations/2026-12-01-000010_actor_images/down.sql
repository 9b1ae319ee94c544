DROP TABLE actor_images;
